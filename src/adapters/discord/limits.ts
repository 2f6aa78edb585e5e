/**
 * Discord's size limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
 * application commands, autocomplete). Over-long payloads are rejected whole with a 400, so every
 * renderer here cuts to these numbers itself, visibly.
 */
export const DISCORD_LIMITS = {
  /** Message `content`. */
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title + description + field names and values + footer + author name, over all embeds of a message. */
  embedTotal: 6000,
  /** Choices in one autocomplete answer. */
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Command and option descriptions. */
  commandDescription: 100,
} as const;
