// The picker's keyboard: arrows move (wrapping), Enter or Tab inserts the highlighted file, Escape
// closes. Anything else is the textarea's.

export type PickerKeyAction =
  | { kind: 'move'; active: number }
  | { kind: 'pick'; index: number }
  | { kind: 'close' }
  | null;

export function pickerKey(key: string, active: number, count: number, mods: { shift?: boolean; composing?: boolean } = {}): PickerKeyAction {
  if (mods.composing) return null;
  switch (key) {
    case 'ArrowDown':
      return { kind: 'move', active: count ? (active + 1) % count : 0 };
    case 'ArrowUp':
      return { kind: 'move', active: count ? (active + count - 1) % count : 0 };
    case 'Enter':
    case 'Tab':
      if (mods.shift || count === 0) return null;
      return { kind: 'pick', index: Math.min(Math.max(active, 0), count - 1) };
    case 'Escape':
      return { kind: 'close' };
    default:
      return null;
  }
}
