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

// The header that carries the token, when one was given.
export function authorization(): Record<string, string> {
  const token = sessionStorage.getItem(tokenKey);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// GET by default; a body is sent as JSON.
export async function api<T>(path: string, method = "GET", body?: unknown): Promise<T> {
  const headers = authorization();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const answer = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new ApiError(response.status, answer.error ?? response.statusText);
  return answer as T;
}

// Saves what the path answers as a file (a link alone would not carry the token).
export async function download(path: string, fileName: string): Promise<void> {
  const response = await fetch(`api/v1${path}`, { headers: authorization(), cache: "no-store" });
  if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => ({}))).error ?? response.statusText);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
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

export interface Readings {
  t_ms: number[];
  mg_dl: number[];
}

export interface Meal {
  t_ms: number;
  carbs_g: number;
}

export interface GlucoseDay {
  sensor: string;
  date: string;
  dates: string[];
  start_ms: number;
  end_ms: number;
  readings: Readings;
  meals: Meal[];
  insulin: { t_ms: number; display: string; amount?: number; unit?: string }[];
}

export interface DayCurve extends Readings {
  peak_mg_dl: number;
  mean_mg_dl: number;
  time_in_range_percent: number;
  time_above_180_percent: number;
}

export interface AddedExercise {
  t_ms: number;
  minutes: number;
  heart_rate_bpm: number;
}

export interface ExerciseResponse {
  resting_heart_rate_bpm: number;
  resting_heart_rate_measured: boolean;
  gain?: { value: number; low: number; high: number; bouts: number; rmse_mg_dl: number };
}

export interface GlucoseWhatIf {
  date: string;
  sensor: string;
  fit: { meals: number; rmse_mg_dl: number; interval_80_low_mg_dl: number; interval_80_high_mg_dl: number };
  added_meals: Meal[];
  added_exercise: AddedExercise[];
  as_logged: DayCurve;
  what_if: DayCurve;
  what_if_band: { low_mg_dl: number[]; high_mg_dl: number[] };
  exercise_response?: ExerciseResponse;
}

export interface Job<Result> {
  id: number;
  kind: string;
  person: number | null;
  state: "queued" | "running" | "done" | "failed" | "cancelled";
  cancel_requested: boolean;
  progress: number;
  step: string;
  result?: Result;
  error?: string;
}

// Starts nothing: follows a job the server started until it ends, reporting
// each poll; resolves with its result, rejects when it failed or was cancelled.
export async function followJob<Result>(job: Job<Result>, onProgress: (job: Job<Result>) => void): Promise<Result> {
  for (;;) {
    onProgress(job);
    if (job.state === "done") return job.result!;
    if (job.state === "failed" || job.state === "cancelled") throw new Error(job.error ?? `the job was ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    job = await api<Job<Result>>(`/jobs/${job.id}`);
  }
}

export interface ImportResult {
  file: string;
  importer: string;
  already_imported: boolean;
  added: { observations: number; signals: number; events: number };
  skipped: { observations: number; signals: number; events: number };
  persons: { id: number; name: string }[];
  issues: { kind: string; what: string; first_where: string; times: number }[];
}

export interface EcgAnalysis {
  lead: string;
  second_lead: string | null;
  sample_rate_hz: number;
  duration_s: number;
  beats: number;
  beat_classes: Record<string, number>;
  heart_rate: { mean: number | null; min: number | null; max: number | null };
  intervals: { pr_ms: number | null; qrs_ms: number | null; qt_ms: number | null; rr_ms: number | null; qtc_ms?: { bazett: number; fridericia: number } } | null;
  af_burden: number | null;
  episodes: { start_s: number; end_s: number; rhythm: string }[];
  usable_fraction: number | null;
  poor_quality: { start_s: number; end_s: number; quality: string }[];
  breathing_rate: number | null;
  label: string | null;
  notes: string[];
  beat_list: { sample: number[]; class: string[] };
}

export interface SleepTrajectory {
  wall_ms: number[];
  asleep: boolean[];
  pressure: number[];
  upper: number[];
  lower: number[];
  alertness: number[];
  debt_h: (number | null)[];
}

export interface SleepTwin {
  nights_from: string;
  nights: { onset_wall_ms: number; offset_wall_ms: number; asleep_h: number; efficiency: number | null }[];
  metrics: {
    rhythm?: { is: number; iv: number; ra: number; l5_start_h: number; m10_start_h: number };
    sleep_regularity_index?: number;
    social_jet_lag_h?: number;
    cosinor?: { acrophase_h: number; amplitude: number; r_squared: number };
  };
  unavailable: string[];
  two_process?: { habitual_onset_h: number; habitual_offset_h: number; sleep_need_h: number; nights_fitted: number; onset_rms_min: number; offset_rms_min: number };
  scenario?: { planned_onset_wall_ms: number; planned_offset_wall_ms: number; planned: SleepTrajectory; habitual: SleepTrajectory };
}

export interface DrugTestOptions {
  drugs: { name: string; cmax_nm: number; cipa_risk: string | null }[];
  doses: number[];
  beats: number;
  heart: { qtc_ms: number; qtc_source: string; sex: string } | null;
}

export interface DrugTest {
  drug: string;
  cmax_nm: number;
  beats: number;
  doses: { multiple: number; concentration_nm: number; apd90_ms: number | null; apd50_ms: number | null; qnet: number | null; ead: boolean; repolarised: boolean; trace: { t_ms: number[]; v_mv: number[] } }[];
  tdp_metric: number | null;
  risk: "low" | "intermediate" | "high";
  ead: boolean;
  thresholds: { high_below: number; low_above: number };
  probabilities: { samples: number; high: number; intermediate: number; low: number } | null;
  heart: {
    phenotype: string;
    measured_qtc_ms: number;
    qtc_source: string;
    target_reached: boolean;
    doses: { multiple: number; predicted_qtc_ms: number | null; delta_qtc_ms: number | null; ead: boolean; repolarised: boolean }[];
  } | null;
  notes: string[];
}

export interface TumourTwinSummary {
  id: string;
  patient: string;
  created: string;
  person: number | null;  // whose twin it is, if anyone's
}

export interface TumourTwin {
  id: string;
  patient: string;
  diagnosis: string;
  visits: { date: string; day: number; t1gd_radius_mm: number; t2_radius_mm: number; calibrated_on: boolean; rano: string | null; days_gained: number | null }[];
  parameters: { name: string; unit: string; value: number; low95: number | null; high95: number | null }[];
  rmse_mm: number;
  last_calibration_day: number;
  person: number | null;
  has_visit_masks: boolean;
  plans: { id: string; name: string }[];
}

// Masks as the lengths of alternating runs, outside first (i fastest).
export interface TumourVisitSlices {
  width: number;
  height: number;
  spacing_mm: [number, number];
  brain: number[];
  visits: { index: number; date: string; t1gd: number[]; t2: number[] }[];
}

export interface RadiusBand {
  low: number[];
  median: number[];
  high: number[];
}

export interface PlanForecast {
  plan: string;
  start_day: number;
  treatment_end_day: number;
  assessment_day: number;
  days_gained: { low: number; median: number; high: number };
  rano: string;
  recist: string;
  responding_share: number;
  progressing_share: number;
  progression_day: number | null;
  lethal_size_day: number | null;
  t1gd_volume_end_ml: number;
  samples: number;
  failed_samples: number;
  series: { day: number[]; t1gd_radius_mm: RadiusBand; t2_radius_mm: RadiusBand };
}

export interface TumourForecasts {
  twin: string;
  samples: number;
  plans: PlanForecast[];
}

export interface SleepStages {
  night: string;
  nights: string[];
  source: string;
  segments: { start_ms: number; end_ms: number; wall_offset_ms: number; stage: string }[];
}

export type FeatureForecast = BaselineTwin["forecasts"][number];

export interface FeatureTimeline {
  metric: string;
  unit: string;
  display_unit: string;
  clock_time: boolean;
  days: string[];
  value: (number | null)[];
  median60: (number | null)[];
  spread60: (number | null)[];
  forecast: FeatureForecast | null;
}
