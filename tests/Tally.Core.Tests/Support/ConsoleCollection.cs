namespace Tally.Core.Tests.Support;

/// <summary>
/// Tests that run the CLI swap <see cref="Console.Out"/>, which is process-wide; they share this collection so
/// they never run beside each other (or beside anything else).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
