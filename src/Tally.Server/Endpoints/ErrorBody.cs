namespace Tally.Server.Endpoints;

/// <summary>Every error answer: a stable code and a sentence naming the problem. Never a stack trace.</summary>
public sealed record ErrorBody(string Error, string Message);

public sealed record HealthBody(string Status, string Plan, string PlanVersion);
