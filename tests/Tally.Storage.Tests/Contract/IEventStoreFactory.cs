using Tally.Core.Storage;

namespace Tally.Storage.Tests.Contract;

/// <summary>
/// Makes stores for the contract suite. Each test gets its own factory, and so its own empty storage (a file, a
/// database), which the factory removes when disposed.
/// </summary>
public interface IEventStoreFactory : IAsyncDisposable
{
    /// <summary>An initialized store on storage of its own, empty.</summary>
    Task<IEventStore> CreateAsync();

    /// <summary>Another initialized store on the same storage as the one <see cref="CreateAsync"/> made, as after a restart.</summary>
    Task<IEventStore> ReopenAsync();
}
