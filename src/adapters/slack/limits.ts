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
