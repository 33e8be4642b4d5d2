import { lastNonBlankLine } from '../config-text.js';
import { defineCollector } from '../define.js';
import type { ConfigCollector } from '../types.js';
import {
  CONFIG_XML_ERRORS,
  CONFIG_XML_SECRETS,
  LAST_RULE_UPDATE,
  dropRevisionBlocks,
} from './firewall-xml.js';

/**
 * pfSense over exec channels: `cat /cf/conf/config.xml`, the whole configuration as XML. The
 * account needs shell access (pfSense's `admin` gets the console menu, not a shell: use another
 * account with the `user-shell-access` privilege).
 *
 * Complete only when the last line is `</pfsense>`. Normalization drops the `<revision>` block
 * (time, user and page of the last save) and `<last_rule_upd_time>`; both change without a
 * configuration change.
 */
export const pfsense: ConfigCollector = defineCollector({
  vendor: 'pfsense',
  displayName: 'pfSense',
  mode: 'exec',
  commands: ['cat /cf/conf/config.xml'],
  errorPatterns: CONFIG_XML_ERRORS,
  isComplete: (text) => lastNonBlankLine(text) === '</pfsense>',
  normalization: {
    dropLines: [LAST_RULE_UPDATE],
    transform: dropRevisionBlocks,
  },
  secrets: CONFIG_XML_SECRETS,
});
