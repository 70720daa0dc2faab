import { useState, type KeyboardEvent } from 'react';

/**
 * The highlighted row of a list driven from a text box (↑/↓ to move, Enter to choose), as in a
 * combobox: focus stays in the box so typing never stops. The highlight returns to the first
 * row whenever `listKey` (the text searched for) changes.
 */
export function useActiveOption(count: number, listKey: string, choose: (index: number) => void) {
  const [state, setState] = useState({ listKey, index: 0 });
  const index = state.listKey === listKey ? Math.min(state.index, Math.max(count - 1, 0)) : 0;

  function onKeyDown(event: KeyboardEvent): void {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0 && count > 0) {
      event.preventDefault();
      setState({ listKey, index: Math.min(Math.max(index + step, 0), count - 1) });
    } else if (event.key === 'Enter' && count > 0) {
      event.preventDefault();
      choose(index);
    }
  }

  return { activeIndex: count > 0 ? index : -1, setActiveIndex: (i: number) => setState({ listKey, index: i }), onKeyDown };
}
