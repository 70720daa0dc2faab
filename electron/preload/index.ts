/**
 * Runs sandboxed before the renderer's page. It hands the page one function and nothing
 * else: never ipcRenderer itself, which would let the page send on any channel.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { WireResponse } from '../server/transport';
import { TRPC_CHANNEL, type ClinicDeskBridge } from './api';

const bridge: ClinicDeskBridge = {
  trpcFetch: (wire) => ipcRenderer.invoke(TRPC_CHANNEL, wire) as Promise<WireResponse>,
};

contextBridge.exposeInMainWorld('clinicDesk', bridge);
