namespace Tally.EndToEnd.Tests.Process;

/// <summary>
/// Tests that run the real server as a child process. They run one at a time and apart from every other test, so
/// the two cores are not shared with in-process servers while a crash is timed or a node client waits on delivery.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "tally processes";
}
