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
 * OPNsense over exec channels: `cat /conf/config.xml`, the whole configuration as XML. The account
 * needs the `System: Shell account access` privilege, and SSH with password login enabled.
 *
 * Complete only when the last line is `</opnsense>`. Normalization drops the `<revision>` block
 * (user, time and page of the last save) and `<last_rule_upd_time>`; both change without a
 * configuration change.
 */
export const opnsense: ConfigCollector = defineCollector({
  vendor: 'opnsense',
  displayName: 'OPNsense',
  mode: 'exec',
  commands: ['cat /conf/config.xml'],
  errorPatterns: CONFIG_XML_ERRORS,
  isComplete: (text) => lastNonBlankLine(text) === '</opnsense>',
  normalization: {
    dropLines: [LAST_RULE_UPDATE],
    transform: dropRevisionBlocks,
  },
  secrets: CONFIG_XML_SECRETS,
});
