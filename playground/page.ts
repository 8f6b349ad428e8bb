/**
 * The playground page: plain DOM. The controls edit a configuration (config.ts) that lives in
 * the URL; every valid change starts a new run in the worker (worker.ts), which answers with
 * losses and views that RunView draws. "Pin this run" freezes a copy beside the next run.
 * window.playground exposes the latest numbers for the tests and the benchmark.
 */
import {
  CHOICES,
  CONFIG_KEYS,
  fromSearch,
  parseConfig,
  PRESETS,
  presetConfig,
  toSearch,
  type ParsedConfig,
  type PlaygroundConfig,
} from './config.js';
import { codeSnippet } from './model.js';
import type { FromPage, ToPage } from './protocol.js';
import { RunView, type RunState } from './views.js';

interface PlaygroundWindow {
  /** Backend as the worker reports it; the current run's state; the latest message shown. */
  backend?: Extract<ToPage, { type: 'ready' }>;
  current: RunState;
  pinned?: RunState;
  playing: boolean;
  stopped?: string;
  stepsPerSecond: number;
  /** Steps received since the page loaded (all runs). */
  steps: number;
  config: PlaygroundConfig;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $('status');
const shareStatus = $('share-status');
const buttons = {
  play: $<HTMLButtonElement>('play'),
  pause: $<HTMLButtonElement>('pause'),
  step: $<HTMLButtonElement>('step'),
  reset: $<HTMLButtonElement>('reset'),
  pin: $<HTMLButtonElement>('pin'),
  download: $<HTMLButtonElement>('download'),
};
const field = (key: string): HTMLInputElement | HTMLSelectElement =>
  $<HTMLInputElement | HTMLSelectElement>(key);

const search = new URLSearchParams(location.search);
const threadsParam = search.get('threads');
const initial = fromSearch(location.search);
const state: PlaygroundWindow = {
  current: { title: '', losses: [], val: [], views: undefined },
  playing: false,
  stepsPerSecond: 0,
  steps: 0,
  config: initial.config,
};
(window as unknown as { playground: PlaygroundWindow }).playground = state;

const currentView = new RunView($('run-current'));
let pinnedView: RunView | undefined;
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (message: FromPage): void => worker.postMessage(message);

function title(c: PlaygroundConfig): string {
  const kernel =
    c.kernelRegularizer === 'none'
      ? 'no kernel reg.'
      : `kernel ${c.kernelRegularizer}(${c.kernelCoef})`;
  const activity = {
    none: 'no activity reg.',
    l1: `activity l1(${c.activityCoef})`,
    l2: `activity l2(${c.activityCoef})`,
    kl: `KL ρ ${c.rho}, β ${c.beta}`,
    ksparse: `k-sparse k ${c.k}`,
  }[c.activityRegularizer];
  const where =
    c.activityRegularizer === 'none'
      ? ''
      : ` on the ${c.activityOn === 'activation' ? 'activation' : 'pre-activation'}`;
  const code =
    c.model === 'conv'
      ? `conv: 14×14×${c.units} ${c.activation} code`
      : `${c.units} ${c.activation} units`;
  return `${code} · ${kernel} · ${activity}${where} · inputs ×${c.inputScale} · ${c.optimizer} ${c.learningRate} · seed ${c.seed}`;
}

/** Writes a configuration into the controls. */
function fill(config: PlaygroundConfig): void {
  for (const key of CONFIG_KEYS) field(key).value = String(config[key]);
  for (const key of ['kernelCoef', 'activityCoef'] as const) {
    $<HTMLInputElement>(`${key}-slider`).value = String(Math.log10(config[key]));
  }
}

/** Shows each field's message (or clears it); true when there is none. */
function showErrors(errors: ParsedConfig['errors']): boolean {
  for (const key of CONFIG_KEYS) {
    const message = errors[key];
    $(`msg-${key}`).textContent = message ?? '';
    field(key).setAttribute('aria-invalid', message === undefined ? 'false' : 'true');
  }
  return Object.keys(errors).length === 0;
}

/**
 * Refused choices of the URL (a select cannot hold a value it does not offer): their messages
 * stay, and no run starts, until the user picks a value in that control.
 */
const urlChoiceErrors: ParsedConfig['errors'] = {};

function readControls(): ParsedConfig {
  const fields: Record<string, string> = {};
  for (const key of CONFIG_KEYS) fields[key] = field(key).value;
  const parsed = parseConfig(fields);
  return { config: parsed.config, errors: { ...urlChoiceErrors, ...parsed.errors } };
}

/** False while a field holds a refused value: nothing trains until it is fixed. */
let valid = true;

function setRunButtons(): void {
  const ready = state.backend !== undefined && valid;
  buttons.play.disabled = !ready || state.playing || state.stopped !== undefined;
  buttons.step.disabled = !ready || state.playing || state.stopped !== undefined;
  buttons.pause.disabled = !state.playing;
  buttons.reset.disabled = !ready;
  buttons.pin.disabled = !ready || state.current.losses.length === 0;
  buttons.download.disabled = !ready;
}

/** A new run of the configuration in the controls, when every field is valid. */
function restart(): void {
  const parsed = readControls();
  valid = showErrors(parsed.errors);
  if (!valid) {
    shareStatus.textContent =
      'Fix the fields marked in red: training waits until every value is valid.';
    if (state.playing) send({ type: 'pause' });
    setRunButtons();
    return;
  }
  shareStatus.textContent = '';
  state.config = parsed.config;
  const params = new URLSearchParams(toSearch(parsed.config));
  if (threadsParam !== null) params.set('threads', threadsParam);
  history.replaceState(null, '', `?${params.toString()}`);
  $<HTMLTextAreaElement>('code').value = codeSnippet(parsed.config);
  state.current = { title: title(parsed.config), losses: [], val: [], views: undefined };
  delete state.stopped;
  state.playing = false;
  currentView.update(state.current);
  if (state.backend !== undefined) send({ type: 'start', config: parsed.config });
  setRunButtons();
}

function backendText(b: Extract<ToPage, { type: 'ready' }>): string {
  const threads = `${b.threads} thread${b.threads === 1 ? '' : 's'}`;
  const why = b.isolated
    ? 'cross-origin isolated'
    : 'not cross-origin isolated (served without the COOP/COEP headers), so training runs on one thread';
  return `Training in a Web Worker on ${b.backend}${b.variant ? ` (${b.variant})` : ''}, ${threads}: ${why}.`;
}

worker.onmessage = (event: MessageEvent<ToPage>) => {
  const m = event.data;
  switch (m.type) {
    case 'ready':
      state.backend = m;
      status.textContent = backendText(m);
      restart();
      return;
    case 'step':
      state.steps++;
      state.stepsPerSecond = m.stepsPerSecond;
      state.current.losses.push({ step: m.step, loss: m.loss, regularization: m.regularization });
      if (!state.playing) currentView.update(state.current, { stepsPerSecond: m.stepsPerSecond });
      return;
    case 'views':
      state.current.views = m.views;
      state.current.val.push({
        step: m.views.step,
        loss: m.views.valLoss,
        regularization: m.views.valRegularization,
      });
      currentView.update(state.current, { stepsPerSecond: state.stepsPerSecond });
      setRunButtons();
      return;
    case 'playing':
      state.playing = m.playing;
      setRunButtons();
      return;
    case 'stopped':
      state.playing = false;
      state.stopped = m.reason;
      status.textContent = m.reason;
      status.classList.add('alert');
      setRunButtons();
      return;
    case 'error':
      state.playing = false;
      state.stopped = m.message;
      status.textContent = `Error: ${m.message}`;
      status.classList.add('alert');
      setRunButtons();
      return;
    case 'model':
      void download(m.artifacts);
      return;
  }
};

async function download(artifacts: Extract<ToPage, { type: 'model' }>['artifacts']): Promise<void> {
  const sn = await import('sinew');
  const { files } = await sn.io.save(sn.io.fromMemory(artifacts), 'downloads://playground');
  shareStatus.textContent = `Downloaded ${files.join(' and ')}: load them with sn.io.load.`;
}

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    shareStatus.textContent = `${what} copied to the clipboard.`;
  } catch {
    shareStatus.textContent = `The clipboard is not available here: select the ${what.toLowerCase()} and copy it.`;
  }
}

// Controls: options, presets, events.
for (const [key, choices] of Object.entries(CHOICES)) {
  const select = field(key) as HTMLSelectElement;
  for (const choice of choices) select.append(new Option(choice, choice));
}
const presetSelect = $<HTMLSelectElement>('preset');
for (const name of Object.keys(PRESETS)) presetSelect.append(new Option(name, name));
presetSelect.addEventListener('change', () => {
  if (presetSelect.value === '') return;
  const seed = readControls().config.seed;
  for (const key of Object.keys(urlChoiceErrors))
    delete urlChoiceErrors[key as keyof PlaygroundConfig];
  fill(presetConfig(presetSelect.value, seed));
  restart();
});
for (const key of CONFIG_KEYS) {
  field(key).addEventListener('change', () => {
    delete urlChoiceErrors[key];
    presetSelect.value = '';
    restart();
  });
}
for (const key of ['kernelCoef', 'activityCoef'] as const) {
  const slider = $<HTMLInputElement>(`${key}-slider`);
  slider.addEventListener('change', () => {
    field(key).value = String(Number((10 ** Number(slider.value)).toPrecision(3)));
    presetSelect.value = '';
    restart();
  });
}
buttons.play.addEventListener('click', () => send({ type: 'play' }));
buttons.pause.addEventListener('click', () => send({ type: 'pause' }));
buttons.step.addEventListener('click', () => send({ type: 'step' }));
buttons.reset.addEventListener('click', () => restart());
buttons.download.addEventListener('click', () => send({ type: 'export' }));
buttons.pin.addEventListener('click', () => {
  const el = $('run-pinned');
  el.hidden = false;
  pinnedView ??= new RunView(el);
  state.pinned = structuredClone({ ...state.current, title: `Pinned: ${state.current.title}` });
  pinnedView.update(state.pinned);
  restart(); // the same configuration again, fresh: change a control to compare
});
$('copy-link').addEventListener('click', () => void copy(location.href, 'Link'));
$('copy-code').addEventListener('click', () => {
  const code = $<HTMLTextAreaElement>('code').value;
  void copy(code, 'Code');
});
document.addEventListener('keydown', (event) => {
  // Space toggles play/pause when the focus is not in a text field.
  const target = event.target as HTMLElement;
  if (event.key !== ' ' || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName))
    return;
  event.preventDefault();
  send({ type: state.playing ? 'pause' : 'play' });
});

fill(initial.config);
const urlValid = showErrors(initial.errors);
if (!urlValid) {
  // Keep what the URL said in the refused fields, so the message sits next to the bad value.
  for (const key of CONFIG_KEYS) {
    const value = search.get(key);
    if (initial.errors[key] === undefined || value === null) continue;
    if (field(key) instanceof HTMLInputElement) field(key).value = value;
    else urlChoiceErrors[key] = initial.errors[key];
  }
}
$<HTMLTextAreaElement>('code').value = codeSnippet(initial.config);
currentView.update(state.current);
const threads = threadsParam === null ? undefined : Number(threadsParam);
send({ type: 'init', ...(threads !== undefined && threads >= 1 ? { threads } : {}) });
