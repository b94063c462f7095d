namespace Tally.Core.Demo;

/// <summary>
/// Share of flows whose person sends the plan's opt-out event part-way through, and the properties it carries. The
/// flow's later events are still sent, as a client that ignores consent would: the collector must drop them.
/// </summary>
public sealed record OptOutSettings(double Share, IReadOnlyList<PropertySpec> Properties);
