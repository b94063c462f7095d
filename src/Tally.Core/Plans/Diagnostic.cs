namespace Tally.Core.Plans;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>One finding about a plan: a load error, a lint rule, or an evolution change.</summary>
/// <param name="Code">Stable rule id, e.g. <c>unknown-event</c>; tests and <c>--format json</c> key on it.</param>
public sealed record Diagnostic(Severity Severity, string Code, string Message, SourceLocation Location)
{
    public static Diagnostic Error(string code, string message, SourceLocation at) => new(Severity.Error, code, message, at);

    public static Diagnostic Warning(string code, string message, SourceLocation at) => new(Severity.Warning, code, message, at);

    /// <summary>The one-line form editors and CI understand: <c>file:line:column: error: message</c>.</summary>
    public override string ToString() =>
        $"{Location.File}:{Location.Line}:{Location.Column}: {(Severity == Severity.Error ? "error" : "warning")}: {Message} [{Code}]";
}
