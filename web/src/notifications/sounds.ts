// The desktop notification sounds, under Mattermost's names (`desktop_notification_sound`),
// played by WebAudio oscillators: a few notes each, so the client ships no audio files.
export const SOUND_NAMES = ['Bing', 'Crackle', 'Down', 'Hello', 'Ripple', 'Upstairs'] as const;
export const DEFAULT_SOUND = 'Bing';

/** A note: frequency (Hz), start and length (s) from the sound's start, and its waveform. */
type Note = [number, number, number, OscillatorType?];

const NOTES: Record<string, Note[]> = {
  Bing: [[1318.5, 0, 0.35]],
  Crackle: [[220, 0, 0.03, 'square'], [180, 0.06, 0.03, 'square'], [240, 0.12, 0.03, 'square'], [200, 0.18, 0.04, 'square']],
  Down: [[880, 0, 0.12], [659.3, 0.12, 0.12], [523.3, 0.24, 0.2]],
  Hello: [[587.3, 0, 0.12, 'triangle'], [880, 0.14, 0.25, 'triangle']],
  Ripple: [[1046.5, 0, 0.08], [1174.7, 0.06, 0.08], [1318.5, 0.12, 0.08], [1568, 0.18, 0.16]],
  Upstairs: [[523.3, 0, 0.1], [659.3, 0.1, 0.1], [784, 0.2, 0.1], [1046.5, 0.3, 0.2]],
};

let audio: AudioContext | null = null;

/** Plays the sound now (also the settings' preview); unknown names play Bing, as Mattermost's. */
export function playSound(name: string): void {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  const ctx = audio;
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  const start = ctx.currentTime + 0.01;
  for (const [frequency, at, length, type = 'sine'] of NOTES[name] ?? NOTES[DEFAULT_SOUND]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = type;
    osc.frequency.value = frequency;
    // A quick attack and an exponential fade, so no note ends in a click.
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(0.2, start + at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + at);
    osc.stop(start + at + length + 0.02);
  }
}

let quietUntil = 0;

/** A notification's sound: at most one every 3 s, as Mattermost's `ding`. */
export function ding(name: string): void {
  if (Date.now() < quietUntil) return;
  quietUntil = Date.now() + 3000;
  playSound(name);
}
