/**
 * The lineage graph: dataset versions → model versions → studies, with parent links, laid out
 * left to right by dagre (a layered graph layout), so the drawing only places what it is told.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type {
  DatasetRecord,
  DatasetVersionRecord,
  ModelRecord,
  ModelVersionRecord,
  StudyRecord,
} from '../records';

export type LineageKind = 'data' | 'model' | 'study';

export interface LineageNode {
  id: string;
  kind: LineageKind;
  label: string;
  detail: string;
  /** Centre of the node. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** What to open: the dataset / model / study id and the version. */
  target: { screen: 'data' | 'models' | 'search'; path: string; query: Record<string, string> };
}

export interface LineageEdge {
  from: string;
  to: string;
  kind: 'derived' | 'trained' | 'retrained' | 'searched' | 'best';
  points: { x: number; y: number }[];
}

export interface Lineage {
  nodes: LineageNode[];
  edges: LineageEdge[];
  width: number;
  height: number;
}

export interface LineageInput {
  datasets: readonly { dataset: DatasetRecord; versions: readonly DatasetVersionRecord[] }[];
  models: readonly { model: ModelRecord; versions: readonly ModelVersionRecord[] }[];
  studies: readonly StudyRecord[];
}

const W = 170;
const H = 48;

export function lineage(input: LineageInput): Lineage {
  const g = new Graph<
    {
      rankdir: string;
      nodesep: number;
      ranksep: number;
      marginx: number;
      marginy: number;
      width?: number;
      height?: number;
    },
    { width: number; height: number; x: number; y: number },
    { points: { x: number; y: number }[] }
  >();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({ points: [] }));
  const nodes = new Map<string, Omit<LineageNode, 'x' | 'y'>>();
  const edges: Omit<LineageEdge, 'points'>[] = [];
  const add = (n: Omit<LineageNode, 'x' | 'y'>): void => {
    nodes.set(n.id, n);
    g.setNode(n.id, { width: n.width, height: n.height, x: 0, y: 0 });
  };
  const link = (from: string, to: string, kind: LineageEdge['kind']): void => {
    if (!nodes.has(from) || !nodes.has(to)) return;
    edges.push({ from, to, kind });
    g.setEdge(from, to);
  };

  for (const { dataset, versions } of input.datasets)
    for (const v of versions)
      add({
        id: v.id,
        kind: 'data',
        label: `${dataset.name} v${v.number}`,
        detail: `${v.rowCount} rows · ${v.change.kind}`,
        width: W,
        height: H,
        target: { screen: 'data', path: dataset.id, query: { v: v.id } },
      });
  for (const { model, versions } of input.models)
    for (const v of versions) {
      const aliases = Object.entries(model.aliases)
        .filter(([, id]) => id === v.id)
        .map(([a]) => a);
      add({
        id: v.id,
        kind: 'model',
        label: `${model.name} v${v.number}`,
        detail: aliases.length ? aliases.join(', ') : v.scenario,
        width: W,
        height: H,
        target: { screen: 'models', path: model.id, query: { v: String(v.number) } },
      });
    }
  for (const s of input.studies)
    add({
      id: s.id,
      kind: 'study',
      label: s.name,
      detail: `study · ${s.budget} trials · ${s.state}`,
      width: W,
      height: H,
      target: { screen: 'search', path: s.id, query: {} },
    });

  for (const { versions } of input.datasets)
    for (const v of versions) if (v.parentId) link(v.parentId, v.id, 'derived');
  for (const s of input.studies) {
    link(s.datasetVersionId, s.id, 'searched');
    if (s.bestVersionId) link(s.id, s.bestVersionId, 'best');
  }
  for (const { versions } of input.models)
    for (const v of versions) {
      if (v.search?.kind !== 'study' || !nodes.has(v.search.studyId))
        link(v.datasetVersionId, v.id, 'trained');
      if (v.parentId) link(v.parentId, v.id, 'retrained');
    }

  layout(g);
  const placed: LineageNode[] = [...nodes.values()].map((n) => {
    const p = g.node(n.id);
    return { ...n, x: p.x, y: p.y };
  });
  const laid: LineageEdge[] = edges.map((e) => ({
    ...e,
    points: g.edge(e.from, e.to)?.points ?? [],
  }));
  const graph = g.graph();
  return { nodes: placed, edges: laid, width: graph.width ?? 0, height: graph.height ?? 0 };
}
