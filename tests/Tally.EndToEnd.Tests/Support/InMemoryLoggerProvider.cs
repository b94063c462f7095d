using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>
/// Keeps every log line a server writes, at every level, so tests can read them: the message as rendered, every
/// structured value beside it, scopes and the full exception text. If personal data reached a logger by any of
/// those routes, it is in <see cref="Lines"/>.
/// </summary>
public sealed class InMemoryLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(InMemoryLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder();
            line.Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) line.Append(" | ").Append(key).Append('=').Append(value);
            owner._scopes.ForEachScope((scope, sb) => sb.Append(" | scope=").Append(scope), line);
            if (exception is not null) line.Append('\n').Append(exception);
            owner._lines.Enqueue(line.ToString());
        }
    }
}
