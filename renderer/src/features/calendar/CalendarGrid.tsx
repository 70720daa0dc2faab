import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { STATUS_LABELS, type CalendarAppointment } from '../../../../shared/appointments';
import { formatDay, timeOf } from '../../ui/dates';
import { initialled, type Lane } from './calendarLanes';

/** Height of one minute on screen: a 15-minute slot is 24 px, enough for one line of text. */
const PX_PER_MINUTE = 1.6;

interface CalendarGridProps {
  lanes: Lane[];
  span: { from: number; until: number };
  now: { date: string; minutes: number };
  language: string;
  /** Empty slots are buttons only for someone who may book. */
  canBook: boolean;
  onBook(lane: Lane, start: number): void;
  onOpen(appointment: CalendarAppointment): void;
  /** Asks for focus on this item (e.g. the appointment just booked) once it is on the grid. */
  focusKey: string | null;
}

interface Item {
  key: string;
  lane: number;
  start: number;
}

const slotKey = (lane: number, start: number) => `slot:${lane}:${start}`;
const appointmentKey = (id: string) => `appointment:${id}`;
const px = (minutes: number) => `${minutes * PX_PER_MINUTE}px`;

/** Shaded stretches of the day when the clinic is closed (before, between and after opening hours). */
function closedStretches(open: [number, number][], span: { from: number; until: number }): [number, number][] {
  const stretches: [number, number][] = [];
  let cursor = span.from;
  for (const [from, until] of [...open].sort((a, b) => a[0] - b[0])) {
    if (from > cursor) stretches.push([cursor, from]);
    cursor = Math.max(cursor, until);
  }
  if (cursor < span.until) stretches.push([cursor, span.until]);
  return stretches;
}

/**
 * The calendar as a grid of lanes (a doctor on a day). One item is in the Tab order at a time;
 * arrow keys move between slots and appointments (↑/↓ in time, ←/→ across lanes), Enter books
 * a free slot or opens an appointment.
 */
export function CalendarGrid({ lanes, span, now, language, canBook, onBook, onOpen, focusKey }: CalendarGridProps) {
  const body = useRef<HTMLDivElement>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);

  const items: Item[] = lanes.flatMap((lane, index) =>
    [
      ...(canBook ? lane.freeSlots.map((start) => ({ key: slotKey(index, start), lane: index, start })) : []),
      ...lane.appointments.map((a) => ({ key: appointmentKey(a.appointment.id), lane: index, start: a.start })),
    ].sort((a, b) => a.start - b.start),
  );
  // Start from the first bookable slot from now on; otherwise the first thing on the grid.
  const current = items.find((item) => item.key === activeKey) ?? items.find((item) => item.key.startsWith('slot:')) ?? items[0];

  const focusItem = (key: string) => body.current?.querySelector<HTMLElement>(`[data-key="${key}"]`)?.focus();

  useEffect(() => {
    if (focusKey) focusItem(focusKey);
  }, [focusKey, lanes]);

  // Open at the current time on today, else at the start of the day.
  const spanKey = `${span.from}-${span.until}-${lanes[0]?.date}`;
  const todayShown = lanes.some((lane) => lane.date === now.date);
  useLayoutEffect(() => {
    if (!body.current) return;
    body.current.scrollTop = todayShown ? Math.max(0, (now.minutes - span.from - 60) * PX_PER_MINUTE) : 0;
    // Only when another span is shown: the clock ticking must not scroll the page under the user.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [spanKey]);

  function onKeyDown(event: KeyboardEvent) {
    if (!current) return;
    const inLane = (lane: number) => items.filter((item) => item.lane === lane);
    const nearest = (candidates: Item[]) =>
      candidates.reduce<Item | undefined>(
        (best, item) => (!best || Math.abs(item.start - current.start) < Math.abs(best.start - current.start) ? item : best),
        undefined,
      );
    const own = inLane(current.lane);
    const at = own.findIndex((item) => item.key === current.key);
    const moves: Record<string, Item | undefined> = {
      ArrowUp: own[at - 1],
      ArrowDown: own[at + 1],
      Home: own[0],
      End: own.at(-1),
      ArrowLeft: nearest(inLane(current.lane - 1)),
      ArrowRight: nearest(inLane(current.lane + 1)),
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const target = moves[event.key];
    if (target) focusItem(target.key);
  }

  const dates = [...new Set(lanes.map((lane) => lane.date))];
  const doctorsPerDay = lanes.length / Math.max(dates.length, 1);
  // A week of every doctor leaves lanes a few letters wide: the place on the grid gives the time, the name gets the room.
  const narrow = dates.length > 1 && doctorsPerDay > 1;
  const columns: CSSProperties = { gridTemplateColumns: `3.5rem repeat(${lanes.length}, minmax(0, 1fr))` };
  const hours = Array.from({ length: (span.until - span.from) / 60 }, (_, i) => span.from + i * 60);

  return (
    <div className="cal">
      <div className="cal-head" style={columns}>
        {dates.length > 1 &&
          dates.map((date, index) => (
            <div
              key={date}
              className={date === now.date ? 'cal-day cal-today' : 'cal-day'}
              style={{ gridColumn: `${2 + index * doctorsPerDay} / span ${doctorsPerDay}` }}
            >
              {formatDay(date, language)}
              {date === now.date && <span className="today-tag">Today</span>}
            </div>
          ))}
        {(doctorsPerDay > 1 || dates.length === 1) &&
          lanes.map((lane, index) => (
            <div key={`${lane.date}-${lane.doctor.id}`} className="cal-doctor" style={{ gridColumn: 2 + index }} title={lane.doctor.name}>
              <span className="doctor-swatch" style={{ background: lane.doctor.calendar_color ?? undefined }} />
              {/* A week of every doctor leaves narrow lanes: the surname tells them apart. */}
              {dates.length > 1 ? lane.doctor.name.split(' ').at(-1) : lane.doctor.name}
            </div>
          ))}
      </div>
      <div
        className="cal-body"
        ref={body}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          const key = (event.target as HTMLElement).dataset.key;
          if (key) setActiveKey(key);
        }}
      >
        <div className="cal-rows" style={{ ...columns, height: px(span.until - span.from) }}>
          <div className="cal-times" aria-hidden="true">
            {hours.map((hour) => (
              <span key={hour} style={{ top: px(hour - span.from) }}>
                {timeOf(hour)}
              </span>
            ))}
          </div>
          {lanes.map((lane, index) => (
            <div
              key={`${lane.date}-${lane.doctor.id}`}
              className={lane.date === now.date ? 'cal-lane cal-lane-today' : 'cal-lane'}
              style={{ '--hour': px(60) } as CSSProperties}
            >
              {closedStretches(lane.open, span).map(([from, until]) => (
                <div key={from} className="cal-closed" style={{ top: px(from - span.from), height: px(until - from) }} />
              ))}
              {/* The hatching says closed; the word would sit under an emergency seen that day. */}
              {lane.open.length === 0 && lane.appointments.length === 0 && <p className="cal-closed-note">Closed</p>}
              {canBook &&
                lane.freeSlots.map((start) => {
                  const key = slotKey(index, start);
                  return (
                    <button
                      key={key}
                      type="button"
                      data-key={key}
                      tabIndex={key === current?.key ? 0 : -1}
                      className="cal-slot"
                      style={{ top: px(start - span.from), height: px(lane.doctor.default_slot_minutes) }}
                      aria-label={`Book ${timeOf(start)}, ${formatDay(lane.date, language)}, ${lane.doctor.name}`}
                      onClick={() => onBook(lane, start)}
                    >
                      <span aria-hidden="true">+ {timeOf(start)}</span>
                    </button>
                  );
                })}
              {lane.appointments.map(({ appointment, start, end, column, columns: across }) => {
                const key = appointmentKey(appointment.id);
                const label = `${appointment.local_start}–${appointment.local_end} ${appointment.patient_name}, ${appointment.patient_number}, ${STATUS_LABELS[appointment.status]}${appointment.has_allergies ? ', has allergies' : ''}, ${lane.doctor.name}`;
                return (
                  <button
                    key={key}
                    type="button"
                    data-key={key}
                    tabIndex={key === current?.key ? 0 : -1}
                    className={`cal-appointment status-${appointment.status}${narrow ? ' cal-appointment-narrow' : ''}`}
                    style={{
                      top: px(start - span.from),
                      height: `calc(${px(end - start)} - 2px)`,
                      left: `${(column / across) * 100}%`,
                      width: `${100 / across}%`,
                      borderLeftColor: lane.doctor.calendar_color ?? undefined,
                    }}
                    aria-label={label}
                    title={label}
                    onClick={() => onOpen(appointment)}
                  >
                    {!narrow && <span className="cal-appointment-time">{appointment.local_start} </span>}
                    <span className="cal-appointment-name">{narrow ? initialled(appointment.patient_name) : appointment.patient_name}</span>
                    {appointment.has_allergies && (
                      <span className="allergy-flag" aria-hidden="true">
                        !
                      </span>
                    )}
                  </button>
                );
              })}
              {lane.date === now.date && now.minutes >= span.from && now.minutes <= span.until && (
                <div className="cal-now" style={{ top: px(now.minutes - span.from) }} aria-hidden="true" />
              )}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
