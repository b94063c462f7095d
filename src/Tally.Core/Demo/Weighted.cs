namespace Tally.Core.Demo;

/// <summary>A choice and its relative weight (e.g. enum value shares in a traffic profile).</summary>
public sealed record Weighted<T>(T Value, double Weight);
