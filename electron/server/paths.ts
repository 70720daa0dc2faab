import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the offline clinic keeps its database: the same folder Electron's
 * app.getPath('userData') gives for "ClinicDesk", so browser mode opens the same clinic.
 */
export function defaultDataDir(): string {
  const home = homedir();
  const appData =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (process.env.XDG_CONFIG_HOME ?? join(home, '.config'));
  return join(appData, 'ClinicDesk', 'database');
}
