/**
 * Runs sandboxed before the renderer's page. It hands the page one function and nothing
 * else: never ipcRenderer itself, which would let the page send on any channel.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ClinicDeskBridge, WireResponse } from '../../shared/desktop-bridge';
import { TRPC_CHANNEL } from './api';

const bridge: ClinicDeskBridge = {
  trpcFetch: (wire) => ipcRenderer.invoke(TRPC_CHANNEL, wire) as Promise<WireResponse>,
};

contextBridge.exposeInMainWorld('clinicDesk', bridge);
