namespace Tally.Cli.Commands;

/// <summary>One finding as <c>tally plan lint --format json</c> writes it; flat so any CI tool can read it.</summary>
public sealed record LintFinding(string File, int Line, int Column, string Severity, string Code, string Message);
