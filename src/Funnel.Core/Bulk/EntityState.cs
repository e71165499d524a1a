using System.Runtime.InteropServices;

namespace Funnel.Core.Bulk;

/// <summary>The per-entity state the engine carries from one event of an entity to the next (28 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct EntityState
{
    /// <summary>Bit 15 of <see cref="Level"/>: the entity had an entry more than 63 stages ahead of its level at one timestamp, so its level needs the exact per-entity pass.</summary>
    public const int LevelOverflow = 0x8000;

    public long LastTime;
    public long AnchorTime;

    /// <summary>
    /// The entries seen at timestamp <see cref="LastTime"/> for the stages ahead of the level: bit d stands for stage
    /// <see cref="Level"/> + d (d = 1..63). Entries that share a timestamp match in any order, so when the entity then
    /// enters the stage of its level at that timestamp, the stages already seen chain on.
    /// </summary>
    public ulong TieMask;

    /// <summary>
    /// The row of the entity's previous event, coded so that the zeroed state means "no previous event": 0 none, 1 a
    /// loss, stages + 1 − s an entry into stage s. The row itself is stages + 1 − this value (stages + 1: none;
    /// stages: after a loss). After the entity's last event it holds the entity's outcome (<see cref="CountOutcomes"/>).
    /// </summary>
    public ushort Row;

    /// <summary>The window-funnel level in the low 15 bits (0 before the anchor, then 1 + the number of stages matched) and <see cref="LevelOverflow"/>.</summary>
    public ushort Level;

    /// <summary>
    /// Counts the entities by their last event and by their window-funnel level, once per entity after all of its
    /// events: <paramref name="lastEvents"/>[s] for an entry into stage s, [stages] for a loss ([stages + 1] collects
    /// the ids without events and is ignored), and <paramref name="levels"/>[level]. An entity at level L reached
    /// stages 0..L-1 in order, so the funnel needs no per-event counting. Branch-free, so a random mix of outcomes
    /// costs no mispredictions.
    /// </summary>
    public static void CountOutcomes(ReadOnlySpan<EntityState> states, int stageCount, long[] lastEvents, long[] levels)
    {
        unchecked
        {
            var none = stageCount + 1;
            foreach (ref readonly var state in states)
            {
                lastEvents[none - state.Row]++;
                levels[state.Level & ~LevelOverflow]++;
            }
        }
    }
}
