package io.tessera.server.maps;

import io.tessera.server.db.ChangeFeed;
import io.tessera.server.db.KnownStamps;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tile in the cache with what it was drawn from: its tables' stamps and the role-state fingerprint (read on the
 * drawing role's connection before drawing), and the feed's DDL epochs read before that. It may be served
 * <ul>
 * <li>without a query, after a validation round that began after the request arrived, while nothing it rests on
 *     has moved: same epochs, same role state as the round read, and every stamp known to this node and equal;</li>
 * <li>after its own inputs were re-read on the role's connection ({@link #revalidate}): same tables, stamps and
 *     role state, and no hard DDL since it was drawn; a soft epoch it was re-proved in is then recorded.</li>
 * </ul>
 */
final class CachedTile {
    final Tile tile;
    private final long[] oids;
    private final Instant[] stamps;
    private final String roleState;
    private final long hardEpoch;
    private final AtomicLong softEpoch;

    CachedTile(Tile tile, TileInputs in, ChangeFeed.Epochs drawnAt) {
        this.tile = tile;
        this.oids = in.oids();
        this.stamps = in.stamps();
        this.roleState = in.roleState();
        this.hardEpoch = drawnAt.hard();
        this.softEpoch = new AtomicLong(drawnAt.soft());
    }

    /** Whether a completed round (begun after the request arrived) and the feed's state as of now vouch for it. */
    boolean servable(ChangeFeed.Round round, ChangeFeed.Epochs now, KnownStamps known) {
        if (!round.ddlTracked() || now.hard() != hardEpoch || now.soft() != softEpoch.get()
                || !roleState.equals(round.roleState())) {
            return false;
        }
        for (int i = 0; i < oids.length; i++) {
            if (!stamps[i].equals(known.get(oids[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether inputs just read on the drawing role's connection (after {@code before} was read) show nothing moved.
     * With the feed tracking DDL, a hard DDL since drawing refuses; the tile then counts as proved in
     * {@code before}'s soft epoch. Without it, the database's answer is all there is (the path before the feed).
     */
    boolean revalidate(TileInputs in, ChangeFeed.Epochs before, boolean tracking) {
        if (!Arrays.equals(oids, in.oids()) || !Arrays.equals(stamps, in.stamps()) || !roleState.equals(in.roleState())) {
            return false;
        }
        if (tracking) {
            if (before.hard() != hardEpoch) {
                return false;
            }
            softEpoch.accumulateAndGet(before.soft(), Math::max);
        }
        return true;
    }
}
