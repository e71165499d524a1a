using System.Runtime.CompilerServices;

namespace Funnel.Core.Bulk;

/// <summary>The transition and loss tables counted directly, for funnels with too many stages and reasons for <see cref="JointCounter"/>.</summary>
internal readonly struct SplitCounter(long[] transitions, long[] losses, int stages, int slots) : IEventCounter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Count(int row, int stage, int slot, int isLoss)
    {
        unchecked
        {
            // Rows: stages, then "after a loss" (stages), then "no previous event" (stages + 1). A loss goes to column
            // stages, and to the loss row of the previous event's row (its own stage does not matter).
            transitions[(row * (stages + 1)) + stage + ((stages - stage) & -isLoss)]++;
            losses[(row * slots) + slot]++;
        }
    }
}
