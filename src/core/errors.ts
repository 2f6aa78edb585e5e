/**
 * The one base for errors a person can fix — bad data, bad configuration, a missing setup step. Their message
 * says what to change and is shown alone, with no stack trace; `identifier` names the kind for code and logs.
 * Anything else that is thrown is a bug on our side.
 */
export class UserError extends Error {
  constructor(readonly identifier: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
