/** A bug in the model itself, never a reaction to input: the one thing the model throws. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}
