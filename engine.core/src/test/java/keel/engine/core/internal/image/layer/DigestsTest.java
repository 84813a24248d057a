package keel.engine.core.internal.image.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** DiffIDs and ChainIDs against values computed outside Java ({@code printf ... | sha256sum}). */
class DigestsTest {

    private static final String ONE = "sha256:f191e625176e7514249870c60bc24622131b04927a418001d1969c9cecd260f1";
    private static final String TWO = "sha256:77c7ed05b2e49df2e55d70cb007508cc66b2f5419a940bfd6f8749ba7db77c45";
    private static final String THREE = "sha256:6483085b79dcef99d4d90b43a910666cdce078bf772da453728f8c385fbfdf2f";

    @Test
    void diffIdIsTheSha256OfTheBytes() {
        assertEquals(ONE, Digests.of("layer one".getBytes(StandardCharsets.UTF_8)));
        assertEquals(TWO, Digests.of("layer two".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void chainIdFollowsTheOciFormula() {
        // printf 'sha256:<one> sha256:<two>' | sha256sum, and so on up the chain
        String chain2 = "sha256:d440fc2ac5bfa225471b58c5d6b4283504f5dfbcd6251023a635cdcd0c058e3e";
        String chain3 = "sha256:952689aceeac7e377b602804de533a4ad47ba634e3917ca7cb071e5ff2bff6cd";
        assertEquals(ONE, Digests.chainId(null, ONE));
        assertEquals(chain2, Digests.chainId(ONE, TWO));
        assertEquals(List.of(ONE, chain2, chain3), Digests.chainIds(List.of(ONE, TWO, THREE)));
    }

    @Test
    void shortIdsAndValidation() {
        assertEquals("f191e625176e", Digests.shortId(ONE));
        assertEquals(true, Digests.isSha256(ONE));
        assertEquals(false, Digests.isSha256("sha256:F191"));
        assertEquals(false, Digests.isSha256("sha512:" + ONE.substring(7)));
    }
}
