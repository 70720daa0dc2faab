/**
 * Runs sandboxed before the renderer's page. It hands the page two functions and nothing
 * else: never ipcRenderer itself, which would let the page send on any channel.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ClinicDeskBridge, WireResponse } from '../../shared/desktop-bridge';
import { PDF_CHANNEL, TRPC_CHANNEL } from './api';

const bridge: ClinicDeskBridge = {
  trpcFetch: (wire) => ipcRenderer.invoke(TRPC_CHANNEL, wire) as Promise<WireResponse>,
  savePdf: (pdf) => ipcRenderer.invoke(PDF_CHANNEL, pdf) as Promise<boolean>,
};

contextBridge.exposeInMainWorld('clinicDesk', bridge);
