namespace Tally.Core.Tests.Support;

/// <summary>Tests that swap <see cref="Console.Out"/> and <see cref="Console.Error"/>: process-wide state, so they never run beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
