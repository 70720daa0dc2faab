/**
 * Electron's types, only the part main and preload use (checked against electron@41.10.0's
 * electron.d.ts). Why a hand copy: `electron` 41.x declares `engines.node >= 22.12.0`, and as
 * an optional dependency npm skips it on a machine with Node 20 (which package.json allows:
 * `>=20.19`), so its own electron.d.ts is absent there; this keeps `tsc` working. Where the
 * package does install, its declarations and these coexist (the tsconfig skips checking .d.ts
 * files); delete this file once every machine that builds ClinicDesk has Node 22.12 or later.
 */
declare module 'electron' {
  type ElectronEvent<Params extends object = object> = Readonly<Params> & { preventDefault(): void };

  interface WebContentsWillFrameNavigateEventParams {
    url: string;
    isMainFrame: boolean;
  }

  export interface WebContents {
    readonly id: number;
    getUserAgent(): string;
    on(event: 'will-frame-navigate', listener: (event: ElectronEvent<WebContentsWillFrameNavigateEventParams>) => void): this;
    on(event: 'will-attach-webview', listener: (event: ElectronEvent) => void): this;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  }

  interface OnHeadersReceivedListenerDetails {
    url: string;
    responseHeaders?: Record<string, string[]>;
  }

  export interface Session {
    webRequest: {
      onHeadersReceived(
        listener: (
          details: OnHeadersReceivedListenerDetails,
          callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> }) => void,
        ) => void,
      ): void;
    };
    setPermissionRequestHandler(handler: (contents: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
    setPermissionCheckHandler(handler: (contents: WebContents | null, permission: string) => boolean): void;
  }

  interface WebPreferences {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInSubFrames?: boolean;
    webSecurity?: boolean;
    webviewTag?: boolean;
  }

  interface BrowserWindowConstructorOptions {
    width?: number;
    height?: number;
    minWidth?: number;
    minHeight?: number;
    title?: string;
    show?: boolean;
    autoHideMenuBar?: boolean;
    webPreferences?: WebPreferences;
  }

  export class BrowserWindow {
    static getAllWindows(): BrowserWindow[];
    constructor(options?: BrowserWindowConstructorOptions);
    readonly webContents: WebContents;
    loadFile(filePath: string): Promise<void>;
    loadURL(url: string): Promise<void>;
    show(): void;
    focus(): void;
    isMinimized(): boolean;
    restore(): void;
    on(event: 'closed', listener: () => void): this;
    once(event: 'ready-to-show', listener: () => void): this;
  }

  export const app: {
    readonly isPackaged: boolean;
    readonly commandLine: { hasSwitch(name: string): boolean; getSwitchValue(name: string): string };
    getPath(name: 'appData' | 'userData' | 'documents'): string;
    setPath(name: 'userData', path: string): void;
    requestSingleInstanceLock(): boolean;
    whenReady(): Promise<void>;
    quit(): void;
    on(event: 'second-instance' | 'window-all-closed', listener: () => void): void;
    on(event: 'web-contents-created', listener: (event: ElectronEvent, contents: WebContents) => void): void;
    on(event: 'before-quit', listener: (event: ElectronEvent) => void): void;
  };

  export const session: { readonly defaultSession: Session };

  export const safeStorage: {
    isEncryptionAvailable(): boolean;
    encryptString(plainText: string): Buffer;
    decryptString(encrypted: Buffer): string;
  };

  interface SaveDialogOptions {
    defaultPath?: string;
    filters?: { name: string; extensions: string[] }[];
  }

  export const dialog: {
    showErrorBox(title: string, content: string): void;
    showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath: string }>;
    showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath: string }>;
  };

  export const shell: { openExternal(url: string): Promise<void>; openPath(path: string): Promise<string> };

  export const ipcMain: {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  };

  export interface IpcMainInvokeEvent {
    readonly sender: WebContents;
    readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
  }

  export const contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };

  export const ipcRenderer: { invoke(channel: string, ...args: unknown[]): Promise<unknown> };
}
