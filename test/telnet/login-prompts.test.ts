/** The login prompts and refusals the telnet dialog recognises, vendor by vendor. */
import { describe, expect, it } from 'vitest';
import { TELNET_PASSWORD_PROMPT, TELNET_USERNAME_PROMPT } from '../../src/telnet/login.js';

describe('telnet login prompts', () => {
  it('recognises each vendor login name prompt', () => {
    for (const prompt of [
      'Username:',
      'router1 login:',
      'User:',
      'Please Enter Login Name:',
      'Login:',
    ]) {
      expect(TELNET_USERNAME_PROMPT.test(prompt), prompt).toBe(true);
    }
    for (const line of ['Last login: 2026-02-17 14:08:10 from 192.0.2.67', 'user admin']) {
      expect(TELNET_USERNAME_PROMPT.test(line), line).toBe(false);
    }
  });

  it('recognises the password prompts', () => {
    for (const prompt of ['Password:', 'Please Enter Password:', 'Passcode:']) {
      expect(TELNET_PASSWORD_PROMPT.test(prompt), prompt).toBe(true);
    }
  });
});
