// Ids the manifest (package.json) declares and the defaults it documents, in one place; a unit test holds them
// equal to package.json so a rename cannot break a command, view or setting silently.

export const EXTENSION_NAME = 'Token Cost';

export const Commands = {
  selectDefaultModel: 'tokenCost.selectDefaultModel',
  openPanel: 'tokenCost.openPanel',
  copySummary: 'tokenCost.copySummary',
  toggleScope: 'tokenCost.toggleScope',
  toggleHover: 'tokenCost.toggleHover',
  updatePrices: 'tokenCost.updatePrices',
  showProblems: 'tokenCost.showProblems',
  compareCheapest: 'tokenCost.compareCheapest',
  reportRefresh: 'tokenCost.report.refresh',
  reportExportCsv: 'tokenCost.report.exportCsv',
  reportExportJson: 'tokenCost.report.exportJson',
  countAnyway: 'tokenCost.countAnyway',
  showTokens: 'tokenCost.showTokens',
} as const;

/** Theme colours contributed in package.json (contributes.colors): Show Tokens' alternating token backgrounds. */
export const Colors = {
  tokenBackground1: 'tokenCost.token1Background',
  tokenBackground2: 'tokenCost.token2Background',
  tokenBorder1: 'tokenCost.token1Border',
  tokenBorder2: 'tokenCost.token2Border',
  tokenSharedBackground: 'tokenCost.sharedCharacterBackground',
  tokenSharedBorder: 'tokenCost.sharedCharacterBorder',
} as const;

export const Views = {
  promptCosts: 'tokenCost.report',
  /** The comparison panel's webview type (also its activation event). */
  panel: 'tokenCost.panel',
} as const;

export const ContextKeys = {
  promptFile: 'tokenCost.promptFile',
  promptCostsEmpty: 'tokenCost.reportEmpty',
} as const;

export const STATUS_ITEM_ID = 'tokenCost.status';

export const SETTINGS_SECTION = 'tokenCost';

/** Defaults of settings that code also needs outside the settings reader (the CLI, fallbacks). */
export const Defaults = {
  defaultModel: 'qwen-plus',
  /** CNY per USD, used only for a model without a list in the wanted currency. */
  exchangeRate: 7.2,
  /** Bytes; larger documents are counted only on request. */
  maxFileSize: 16 * 1024 * 1024,
} as const;
