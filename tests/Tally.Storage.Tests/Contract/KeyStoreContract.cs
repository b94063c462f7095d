using Tally.Core.Governance;
using Tally.Core.Storage;

namespace Tally.Storage.Tests.Contract;

/// <summary>What every store promises about API keys (<see cref="IKeyStore"/>), run unchanged against SQLite and ClickHouse.</summary>
public abstract class KeyStoreContract(IEventStoreFactory factory) : IAsyncLifetime
{
    private readonly List<IEventStore> _opened = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IKeyStore Keys => (IKeyStore)_opened[0];

    public async ValueTask InitializeAsync() => _opened.Add(await factory.CreateAsync());

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        await factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static StoredApiKey NewKey(string role, string? env = null, DateTimeOffset? at = null, string name = "ci") =>
        new(ApiKeySecret.NewId(), name, role, env, at ?? new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), ApiKeySecret.Hash(ApiKeySecret.NewKey()));

    [Fact]
    public async Task A_created_key_is_listed_with_its_hash_role_and_environment()
    {
        var writer = NewKey("writer", "staging", name: "ios app");
        var viewer = NewKey("viewer", at: writer.CreatedAt.AddMinutes(1));

        await Keys.CreateKeyAsync(writer, Ct);
        await Keys.CreateKeyAsync(viewer, Ct);

        Assert.Equal([writer, viewer], await Keys.ListKeysAsync(Ct));
    }

    [Fact]
    public async Task A_revoked_key_stays_listed_with_its_revocation_time()
    {
        var key = NewKey("analyst");
        var other = NewKey("admin", at: key.CreatedAt.AddSeconds(1));
        await Keys.CreateKeyAsync(key, Ct);
        await Keys.CreateKeyAsync(other, Ct);
        var at = key.CreatedAt.AddHours(2);

        Assert.True(await Keys.RevokeKeyAsync(key.Id, at, Ct));

        var listed = await Keys.ListKeysAsync(Ct);
        Assert.Equal([key with { RevokedAt = at }, other], listed);
    }

    [Fact]
    public async Task Revoking_twice_keeps_the_first_time_and_an_unknown_id_is_false()
    {
        var key = NewKey("viewer");
        await Keys.CreateKeyAsync(key, Ct);
        var first = key.CreatedAt.AddHours(1);

        Assert.True(await Keys.RevokeKeyAsync(key.Id, first, Ct));
        Assert.True(await Keys.RevokeKeyAsync(key.Id, first.AddHours(1), Ct));
        Assert.False(await Keys.RevokeKeyAsync("key_does_not_exist", first, Ct));

        Assert.Equal(first, Assert.Single(await Keys.ListKeysAsync(Ct)).RevokedAt);
    }

    [Fact]
    public async Task Keys_and_revocations_outlive_a_restart()
    {
        var kept = NewKey("writer", "production");
        var revoked = NewKey("admin", at: kept.CreatedAt.AddSeconds(1));
        await Keys.CreateKeyAsync(kept, Ct);
        await Keys.CreateKeyAsync(revoked, Ct);
        await Keys.RevokeKeyAsync(revoked.Id, revoked.CreatedAt.AddMinutes(5), Ct);

        var reopened = await factory.ReopenAsync();
        _opened.Add(reopened);

        Assert.Equal([kept, revoked with { RevokedAt = revoked.CreatedAt.AddMinutes(5) }], await ((IKeyStore)reopened).ListKeysAsync(Ct));
    }
}
