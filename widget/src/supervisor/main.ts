/**
 * The demo supervisor page the relay serves at `/supervisor` in dev mode: <wcp-supervisor>
 * with a dev token for the demo supervisor (Jordan Lee) from `/demo/config?agent=supervisor`,
 * refreshed before it expires. `?lang=de|fr|es|ar|en` picks the language.
 */
import '../wcp-supervisor/wcp-supervisor.js';
import { loadDemoConfig, needsRefresh, pageOptions, type DemoConfig } from '../demo/demo-config.js';

const CONFIG_URL = '/demo/config?agent=supervisor';

async function loadConfig(): Promise<DemoConfig> {
  return loadDemoConfig(CONFIG_URL);
}

async function start(): Promise<void> {
  const host = document.getElementById('supervisor-host')!;
  let config = await loadConfig();
  document.getElementById('agent-name')!.textContent = config.agent.name;
  const supervisor = document.createElement('wcp-supervisor');
  supervisor.locale = pageOptions(location.search).locale;
  supervisor.relayUrl = config.relayUrl;
  supervisor.getToken = async () => {
    if (needsRefresh(config.token, Date.now())) config = await loadConfig();
    return config.token;
  };
  host.replaceChildren(supervisor);
}

start().catch((error: unknown) => {
  const host = document.getElementById('supervisor-host')!;
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = error instanceof Error ? error.message : String(error);
  host.replaceChildren(p);
});
