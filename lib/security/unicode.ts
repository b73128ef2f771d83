// Unicode direction controls (LRM/RLM, the embeddings and overrides U+202A–202E, the isolates
// U+2066–2069) make text display in another order than it is stored: `passwd\u202Etxt.exe` shows as
// "passwdexe.txt". Names and titles are shown to people, so these are removed from them.
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
