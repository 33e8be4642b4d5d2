/**
 * Prompts, pagers and errors of pfsense, opnsense, mlnxos, sonicos, netgear, tplink, firelinuxos,
 * efos and cumulus, checked against the lines their devices print (recorded prompts included).
 */
import { describe, expect, it } from 'vitest';
import { createCollectorRegistry, type ConfigCollector } from '../../src/collectors/index.js';

const collectors = createCollectorRegistry();
const collector = (vendor: string): ConfigCollector => collectors.get(vendor)!;

// Each prompt as the shell reader sees it: escapes, `\r` and trailing blanks removed.
const PROMPTS: Record<string, { prompts: string[]; notPrompts: string[] }> = {
  mlnxos: {
    prompts: [
      ' [standalone: master] >',
      'hsb2-slf-3-6 [standalone: master] #',
      'sw-1 [mlag-domain: standby] (config) #',
    ],
    notPrompts: ['Mellanox Switch', '   interface ethernet 1/1 description "a # b >"'],
  },
  sonicos: {
    prompts: ['admin@012345>', 'admin@0017C5A1B2C3>', 'config(0017C5A1B2C3)#'],
    notPrompts: ['Hello!', 'address-object ipv4 "LAN # hq >"'],
  },
  netgear: {
    prompts: ['19sw011#', '19sw011>', '(M4300-52G) #', '(GS752TPP) >'],
    notPrompts: ['! Model: GS752TPP', 'system location "Rack # 3 >"'],
  },
  tplink: {
    prompts: ['RT_02-TPLink_OLT#', 'RT_02-TPLink_OLT>', 'T2600G-28TS(config)#'],
    notPrompts: [' System Name          - RT_02-TPLink_OLT', '#', ' name "a # b >"'],
  },
  firelinuxos: {
    prompts: ['>', 'firepower#'],
    notPrompts: ['Cisco Firepower 1010 Threat Defense v7.4.2 (build 172)', ' description a # b >'],
  },
  efos: {
    prompts: ['(Metro_Switch_A_1)>', '(Metro_Switch_A_1)#', '(Routing) (Config)#'],
    notPrompts: ['* NetApp Reference Configuration File (RCF)', 'vlan name 10 "a # b >"'],
  },
  cumulus: {
    prompts: ['root@spine1-nyc2:~#', 'cumulus@leaf01:mgmt:~$'],
    notPrompts: [
      'UNAUTHORIZED USE OF THIS SYSTEM IS STRICTLY PROHIBITED!',
      "description: 'a # b >'",
    ],
  },
};

describe.each(Object.entries(PROMPTS))('%s prompts', (vendor, { prompts, notPrompts }) => {
  it.each(prompts)('takes %j for a prompt', (line) => {
    expect(collector(vendor).promptPattern.test(line)).toBe(true);
  });
  it.each(notPrompts)('does not take %j for one', (line) => {
    expect(collector(vendor).promptPattern.test(line)).toBe(false);
  });
});

const PAGERS: Record<string, { pagers: string[]; notPagers: string[] }> = {
  mlnxos: {
    pagers: ['lines 1-23', 'lines 256-269/269 (END)'],
    notPagers: ['lines 256-269/2', '   interface ethernet 1/1 description lines'],
  },
  netgear: { pagers: ['--More-- or (q)uit'], notPagers: ['--More--', '--More-- or (q'] },
  tplink: {
    pagers: ['Press any key to continue (Q to quit)', 'Pressanykeytocontinue(Qtoquit)'],
    notPagers: ['Press any key to continue (Q'],
  },
  firelinuxos: { pagers: ['<--- More --->'], notPagers: ['<--- More'] },
  efos: { pagers: ['--More-- or (q)uit'], notPagers: ['--More--'] },
};

describe.each(Object.entries(PAGERS))('%s pager', (vendor, { pagers, notPagers }) => {
  it.each(pagers)('answers %j', (line) => {
    expect(collector(vendor).pagerPattern!.test(line)).toBe(true);
  });
  it.each(notPagers)('waits on %j', (line) => {
    expect(collector(vendor).pagerPattern!.test(line)).toBe(false);
  });
});

const ERRORS: Record<string, { errors: string[]; notErrors: string[] }> = {
  pfsense: {
    errors: ['cat: /cf/conf/config.xml: No such file or directory\n'],
    notErrors: ['<descr><![CDATA[cat: not an error]]></descr>\n'],
  },
  opnsense: {
    errors: ['This account is currently not available.\n'],
    notErrors: ['<opnsense>\n</opnsense>\n'],
  },
  mlnxos: {
    errors: ['% Unrecognized command "shwo".\r\nType "?" for help.\r\n'],
    notErrors: ['   interface ethernet 1/1 description "% Unrecognized"\n'],
  },
  sonicos: {
    errors: ['% Unknown command.\r\n'],
    notErrors: ['address-object ipv4 "% Error hosts"\n    host 192.0.2.1\n'],
  },
  netgear: {
    errors: ["% Invalid input detected at '^' marker.\r\n"],
    notErrors: ['system location "Invalid input"\n'],
  },
  tplink: { errors: ['Error: Bad command\r\n'], notErrors: [' name "Bad command"\n'] },
  firelinuxos: {
    errors: ["% Invalid input detected at '^' marker.\r\n", 'ERROR: % Incomplete command\r\n'],
    notErrors: [' description "% Invalid input"\n'],
  },
  efos: {
    errors: ['Command not found / Incomplete command. Use ? to list commands.\r\n'],
    notErrors: ["description 'Command not found'\n"],
  },
  cumulus: {
    errors: ['Error: No such command "shwo".\r\n', '-bash: nv: command not found\r\n'],
    notErrors: ["    description: 'Error: none'\n"],
  },
};

describe.each(Object.entries(ERRORS))('%s errors', (vendor, { errors, notErrors }) => {
  const failed = (text: string): boolean =>
    collector(vendor).errorPatterns.some((pattern) => pattern.test(text));
  it.each(errors)('fails on %j', (text) => {
    expect(failed(text)).toBe(true);
  });
  it.each(notErrors)('keeps %j', (text) => {
    expect(failed(text)).toBe(false);
  });
});
