/**
 * Collectors: how each vendor's configuration is fetched, recognised as whole, and normalized.
 * Re-exported from the package root.
 *
 * @packageDocumentation
 */
export type {
  CollectorContext,
  CollectorMode,
  CollectorOption,
  CollectorOptionType,
  CommandPlan,
  ConfigCollector,
  ExitStatusPolicy,
  NormalizationRules,
  PrivilegeStep,
} from './types.js';
export {
  defineCollector,
  isCollectorOptionValue,
  DEFAULT_PROMPT_PATTERN,
  DEFAULT_ENABLE_PASSWORD_PROMPT,
  type CollectorDefinition,
  type PrivilegeDefinition,
} from './define.js';
export {
  normalizeConfig,
  NORMALIZATION_VERSION,
  type NormalizedConfig,
  type NormalizeOptions,
} from './normalize.js';
export {
  maskSecretsInText,
  PRIVATE_KEY_BLOCK,
  SECRET_PLACEHOLDER,
  type SecretBlockRule,
  type SecretLineRule,
  type SecretRule,
} from './secrets.js';
export {
  CollectorRegistry,
  createCollectorRegistry,
  builtinCollectors,
  type RegisterCollectorOptions,
} from './registry.js';
export { BUILT_IN_VENDORS, type BuiltInVendorId } from './vendors/index.js';
export { routeros, routerosCollector, type RouterosCollectorOptions } from './vendors/routeros.js';
export { ciscoIos } from './vendors/cisco-ios.js';
export { ciscoNxos } from './vendors/cisco-nxos.js';
export { ciscoIosxr } from './vendors/cisco-iosxr.js';
export { ciscoAsa } from './vendors/cisco-asa.js';
export { junos } from './vendors/junos.js';
export { aristaEos } from './vendors/arista-eos.js';
export { huaweiVrp } from './vendors/huawei-vrp.js';
export { fortios } from './vendors/fortios.js';
export { vyos } from './vendors/vyos.js';
export {
  linux,
  linuxCollector,
  DEFAULT_LINUX_FILES,
  type LinuxCollectorOptions,
} from './vendors/linux.js';
