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
import { appStore } from './store';
import { connectStore } from './store/connect';

export function App(): JSX.Element {
  // Subscribes on mount and unsubscribes on unmount (StrictMode's double mount included).
  useEffect(() => connectStore(appStore, getApi()), []);
  return (
    <main className="screen">
      <Header />
      <PipelineStrip />
      <Banners />
      <KpiTiles />
      <TrendChart />
      <CityChart />
      <StatusChart />
      <BurstPanel />
      <HealthPanel />
    </main>
  );
}
