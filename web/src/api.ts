// The engine's JSON API (docs/api/openapi.json): fetch with the token the
// person typed (kept for this browser tab only), errors as ApiError.

export class ApiError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

const tokenKey = "medtwin-token";

export function setToken(token: string): void {
  sessionStorage.setItem(tokenKey, token);
}

export async function api<T>(path: string): Promise<T> {
  const token = sessionStorage.getItem(tokenKey);
  const response = await fetch(`api/v1${path}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    cache: "no-store",
  });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new ApiError(response.status, body.error ?? response.statusText);
  return body as T;
}

export interface Person {
  id: number;
  name: string;
  sex: string;
  birth_date?: string;
}

export interface PersonSummary extends Person {
  series: number;
  signals: number;
}

export interface Series {
  id: number;
  code: string;
  display: string;
  unit: string;
  source: string;
  count: number;
  first: string;
  last: string;
}

export interface Points {
  series: number;
  total: number;
  t_ms?: number[];
  value?: (number | null)[];
  thinned?: boolean;
  start_ms?: number[];
  end_ms?: number[];
  code?: string[];
}

export interface Signal {
  id: number;
  kind: string;
  sample_rate_hz: number;
  start: string;
  samples: number;
  seconds: number;
  channels: { label: string; unit: string }[];
  source: string;
}

export interface SignalWindow {
  signal: number;
  sample_rate_hz: number;
  first_sample: number;
  channels: { label: string; unit: string; samples: number[] }[];
  annotations: { sample: number; channel: number; code: string; text: string }[];
}

export interface BaselineTwin {
  today: string;
  state: { metric: string; unit: string; display_unit: string; clock_time: boolean; day: string; value: number | null; median60: number | null; z: number | null; median7: number | null; trend_per_week: number | null }[];
  readiness: { available: boolean; why_not?: string; score?: number | null; confidence?: number | null; contributions?: { part: string; points: number | null; sentence: string }[]; missing?: string[] };
  forecasts: { metric: string; unit: string; model: string; backtest: { n: number; mae: number | null; mae_persistence: number | null; mae_mean7: number | null }; days: { date: string; point: number | null; lo80: number | null; hi80: number | null; lo95: number | null; hi95: number | null }[] }[];
  not_forecast: string[];
  alerts: { metric: string; z: number | null; reason: string }[];
}
