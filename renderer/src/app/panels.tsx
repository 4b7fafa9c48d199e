// The navigation: every panel of the console, with the work that fills the ones still to come.
import type { ReactNode } from 'react';
import { ArchivePanel } from '../panels/archive/ArchivePanel';
import { ClusterEditorPanel } from '../panels/cluster-editor/ClusterEditorPanel';
import { NetworkPanel } from '../panels/network/NetworkPanel';
import { PoliciesPanel } from '../panels/policies/PoliciesPanel';
import { TopologyPanel } from '../panels/topology/TopologyPanel';
import { ConsolePanel } from '../panels/console/ConsolePanel';
import { ErrorsPanel } from '../panels/errors/ErrorsPanel';
import { OperatorStatsPanel } from '../panels/operator-stats/OperatorStatsPanel';
import { PlaceholderPanel } from '../panels/placeholder/PlaceholderPanel';
import { ProcessesPanel } from '../panels/processes/ProcessesPanel';
import { TsdInfoPanel } from '../panels/tsd-info/TsdInfoPanel';

export interface PanelEntry {
  id: string;
  title: string;
  render(): ReactNode;
}

const later = (id: string, title: string, work: string, points: string[]): PanelEntry => ({
  id,
  title,
  render: () => <PlaceholderPanel title={title} work={work} points={points} />,
});

export const PANELS: PanelEntry[] = [
  { id: 'processes', title: 'Processes', render: () => <ProcessesPanel /> },
  { id: 'console', title: 'Console', render: () => <ConsolePanel /> },
  { id: 'tsd-info', title: 'TSD Info', render: () => <TsdInfoPanel /> },
  { id: 'archive', title: 'Archive', render: () => <ArchivePanel /> },
  { id: 'errors', title: 'Ingestion Errors', render: () => <ErrorsPanel /> },
  { id: 'operator-stats', title: 'Operator Stats', render: () => <OperatorStatsPanel /> },
  { id: 'policies', title: 'Policies', render: () => <PoliciesPanel /> },
  { id: 'cluster-editor', title: 'Cluster Editor', render: () => <ClusterEditorPanel /> },
  { id: 'topology', title: 'Topology', render: () => <TopologyPanel /> },
  { id: 'network', title: 'Network', render: () => <NetworkPanel /> },
  later('query-status', 'Query Status', 'the distributed-query work', ['Queries across the network, per operator and partition']),
];
