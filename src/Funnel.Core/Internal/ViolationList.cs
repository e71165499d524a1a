using System.Collections.Immutable;

namespace Funnel.Core;

/// <summary>Collects violations, allocating only when the first one arrives (the happy path allocates nothing).</summary>
internal struct ViolationList
{
    private ImmutableArray<MoveViolation>.Builder? _items;

    public readonly bool IsEmpty => _items is null;

    public void Add(MoveViolation violation) => (_items ??= ImmutableArray.CreateBuilder<MoveViolation>(2)).Add(violation);

    public void AddRange(ImmutableArray<MoveViolation> violations)
    {
        foreach (var violation in violations)
        {
            Add(violation);
        }
    }

    public readonly ImmutableArray<MoveViolation> ToImmutable() => _items is null ? [] : _items.ToImmutable();
}
