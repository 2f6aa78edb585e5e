/**
 * Slack's Block Kit limits that the renderer must respect. Slack rejects a message that breaks one
 * (`invalid_blocks`), so an answer that does not fit is cut, visibly, rather than lost.
 * https://docs.slack.dev/reference/block-kit/blocks
 */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocks: 50,
  /** Characters in a header block's plain_text. */
  headerText: 150,
  /** Characters in a section's text. */
  sectionText: 3000,
  /** Fields in one section. */
  sectionFields: 10,
  /** Characters in one section field. */
  fieldText: 2000,
  /** Characters in one context element's text. */
  contextText: 3000,
  /** Top-level `text` (notifications, screen readers): Slack advises at most 4,000 and truncates at 40,000. */
  fallbackText: 4000,
} as const;

/** An actions block of buttons (docs.slack.dev/reference/block-kit/blocks/actions-block, …/block-elements/button-element). */
export const SLACK_BUTTON_LIMITS = {
  /** Elements in one actions block. */
  elements: 25,
  /** Characters of a button's text. */
  text: 75,
  /** Characters of a button's value (handed back on a click). */
  value: 2000,
} as const;
