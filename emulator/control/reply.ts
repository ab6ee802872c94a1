/**
 * The control plane's answers: plain JSON (not Graph's OData), errors as `{error: {code, message}}`.
 */

export interface ControlResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function controlError(status: number, code: string, message: string): ControlResponse {
  return { status, body: { error: { code, message } } };
}
