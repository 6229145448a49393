// The API VS Code injects into webviews (callable once per page).
import type { FromWebview } from '../panel/protocol';

export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function getVsCodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}
