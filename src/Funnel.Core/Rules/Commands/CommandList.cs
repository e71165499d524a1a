using System.Collections.Immutable;

namespace Funnel.Core.Rules;

/// <summary>Collects commands, allocating only when a second batch arrives (one firing automation costs no copy).</summary>
internal struct CommandList
{
    private ImmutableArray<RuleCommand> _first;
    private ImmutableArray<RuleCommand>.Builder? _items;

    public void AddRange(ImmutableArray<RuleCommand> commands)
    {
        if (commands.IsDefaultOrEmpty)
        {
            return;
        }

        if (_items is not null)
        {
            _items.AddRange(commands);
        }
        else if (_first.IsDefault)
        {
            _first = commands;
        }
        else
        {
            _items = ImmutableArray.CreateBuilder<RuleCommand>(_first.Length + commands.Length);
            _items.AddRange(_first);
            _items.AddRange(commands);
        }
    }

    public readonly ImmutableArray<RuleCommand> ToImmutable() =>
        _items is not null ? _items.ToImmutable() : _first.IsDefault ? [] : _first;
}
