import type { ReactNode } from 'react';

interface OptionListProps<T> {
  /** The id the combobox's aria-controls names; each option is `${id}-${index}`. */
  id: string;
  label: string;
  options: readonly T[];
  keyOf(option: T): string;
  activeIndex: number;
  setActiveIndex(index: number): void;
  choose(index: number): void;
  className?: string;
  children(option: T): ReactNode;
}

/** The list under a combobox (with useActiveOption): the pointer highlights and clicks, focus stays in the box. */
export function OptionList<T>({ id, label, options, keyOf, activeIndex, setActiveIndex, choose, className, children }: OptionListProps<T>) {
  return (
    <ul className="picker-results" id={id} role="listbox" aria-label={label}>
      {options.map((option, index) => (
        <li
          key={keyOf(option)}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === activeIndex}
          className={className}
          onPointerMove={() => index !== activeIndex && setActiveIndex(index)}
          // Keep focus in the box: a click chooses without a blur in between.
          onPointerDown={(event) => event.preventDefault()}
          onClick={() => choose(index)}
        >
          {children(option)}
        </li>
      ))}
    </ul>
  );
}

/** What makes a text box the combobox of an OptionList `${id}-list`, with its error `${id}-error` read with it. */
export function comboboxAttributes(id: string, optionCount: number, activeIndex: number, error: string | undefined) {
  return {
    id,
    role: 'combobox',
    'aria-expanded': optionCount > 0,
    'aria-controls': `${id}-list`,
    'aria-autocomplete': 'list',
    'aria-activedescendant': activeIndex >= 0 ? `${id}-${activeIndex}` : undefined,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    autoComplete: 'off',
    spellCheck: false,
  } as const;
}
