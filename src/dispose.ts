// One way to own disposables (after vscode-hexeditor's src/dispose.ts): register what you create, dispose once.
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly registered: vscode.Disposable[] = [];
  private disposedFlag = false;

  protected get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** Owns `first` (and `rest`) until this object is disposed; returns `first` so fields can be assigned in one go. */
  protected _register<T extends vscode.Disposable>(first: T, ...rest: vscode.Disposable[]): T {
    if (this.disposedFlag) {
      // Registered too late: nobody else will dispose it.
      first.dispose();
      for (const d of rest) d.dispose();
    } else {
      this.registered.push(first, ...rest);
    }
    return first;
  }

  /** Disposes everything registered, newest first (listeners go before the emitters they listen to). Idempotent. */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    for (const d of this.registered.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // One failing disposable must not leak the others.
      }
    }
  }
}
