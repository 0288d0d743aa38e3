import { useEffect, type JSX } from 'react';
import { getApi } from './api';
import { Banners } from './components/Banners';
import { BurstPanel } from './components/BurstPanel';
import { CityChart } from './components/CityChart';
import { Header } from './components/Header';
import { HealthPanel } from './components/HealthPanel';
import { KpiTiles } from './components/KpiTiles';
import { PipelineStrip } from './components/PipelineStrip';
import { StatusChart } from './components/StatusChart';
import { TrendChart } from './components/TrendChart';
import { useMessages } from './i18n';
import { appStore, useLivewall } from './store';
import { connectStore } from './store/connect';
import type { LivewallState } from './store/store';

const languageSelector = (s: LivewallState): LivewallState['language'] => s.language;

export function App(): JSX.Element {
  // Subscribes on mount and unsubscribes on unmount (StrictMode's double mount included).
  useEffect(() => connectStore(appStore, getApi()), []);
  const t = useMessages();
  const language = useLivewall(languageSelector);
  useEffect(() => {
    document.documentElement.lang = t.locale;
    // Tests and styles see which catalogue is on screen once the server has named it.
    if (language) document.documentElement.dataset.language = language;
  }, [t, language]);
  return (
    <main className="screen">
      <Header />
      <div className="notices">
        <Banners />
        <PipelineStrip />
      </div>
      <div className="board">
        <KpiTiles />
        <TrendChart />
        <CityChart />
        <StatusChart />
      </div>
      <BurstPanel />
      <HealthPanel />
    </main>
  );
}
