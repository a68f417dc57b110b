import { type FormEvent, useEffect, useRef, useState } from 'react';
import { MAX_MESSAGE_LENGTH, type Message } from '../shared/api.js';
import { api } from './api.js';
import { ErrorBanner } from './errors.js';

/** A channel's messages, newest at the bottom (kept in view). */
export function MessageList({ messages }: { messages: Message[] }) {
  const end = useRef<HTMLLIElement>(null);
  const count = messages.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls when a message arrives
  useEffect(() => {
    // In braces: Chromium's scrollIntoView returns a promise, and an effect may return only a cleanup.
    void end.current?.scrollIntoView({ block: 'end' });
  }, [count]);
  return (
    <ol className="messages" aria-label="Messages">
      {messages.map((message) => (
        <li key={message.id} data-kind={message.kind} data-message-id={message.id}>
          {message.kind === 'member' ? <strong>{message.authorName}</strong> : null}
          <span className="text">{message.text}</span>
          <time dateTime={message.at}>{new Date(message.at).toLocaleTimeString()}</time>
        </li>
      ))}
      <li ref={end} aria-hidden="true" className="end" />
    </ol>
  );
}

/** Props of {@link Composer}. */
export interface ComposerProps {
  channelId: string;
  channelName: string;
  onSent: (message: Message) => void;
}

/**
 * Writes a message in a channel; the backend's typed errors show above it
 * (no `maxLength`: a message over {@link MAX_MESSAGE_LENGTH} characters gets the backend's refusal).
 */
export function Composer({ channelId, channelName, onSent }: ComposerProps) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    try {
      onSent(await api.send(channelId, text));
      setText('');
      setError(null);
    } catch (failure) {
      setError(failure);
    } finally {
      setSending(false);
    }
  };
  return (
    <form className="composer" onSubmit={(event) => void submit(event)}>
      <ErrorBanner error={error} />
      <textarea
        aria-label={`Message ${channelName}`}
        value={text}
        rows={2}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            event.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <button type="submit" disabled={sending || text.trim() === ''}>
        Send
      </button>
    </form>
  );
}
