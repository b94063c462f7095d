namespace Tally.EndToEnd.Tests.Query;

/// <summary>Tests that run <c>tally</c> in-process and swap the process-wide console: never beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "Cli";
}
