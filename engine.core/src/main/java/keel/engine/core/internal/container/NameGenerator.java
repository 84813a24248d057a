package keel.engine.core.internal.container;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Names for containers created without one, in Docker's {@code adjective_surname} style: an adjective and the
 * surname of a scientist or engineer. After a collision the caller asks again with {@code retry > 0}, which appends
 * a digit, as Docker does. Keel's own word lists.
 */
final class NameGenerator {

    static final List<String> ADJECTIVES = List.of(
            "agile", "amazing", "ardent", "balanced", "bold", "brave", "bright", "busy", "calm", "careful",
            "charming", "cheerful", "clever", "cool", "curious", "daring", "dazzling", "determined", "diligent",
            "dreamy", "eager", "elated", "elegant", "epic", "fearless", "festive", "focused", "friendly", "gallant",
            "gentle", "gifted", "glowing", "graceful", "happy", "hardy", "helpful", "honest", "hopeful", "humble",
            "inspired", "jolly", "keen", "kind", "lively", "loyal", "lucid", "merry", "mindful", "modest", "nifty",
            "nimble", "noble", "patient", "peaceful", "playful", "polite", "proud", "quick", "quiet", "radiant",
            "relaxed", "sharp", "sincere", "steady", "sunny", "swift", "tender", "thoughtful", "tidy", "upbeat",
            "vibrant", "vigilant", "warm", "wise", "witty", "zealous");

    static final List<String> SURNAMES = List.of(
            "agnesi", "al_jazari", "alhazen", "ampere", "archimedes", "avogadro", "babbage", "bardeen", "bell",
            "bernoulli", "bohr", "boole", "born", "bose", "boyle", "brahe", "brattain", "cannon", "cantor", "carnot",
            "carson", "cauchy", "cavendish", "chadwick", "chandrasekhar", "cerf", "conway", "copernicus", "coulomb",
            "crick", "curie", "darwin", "dijkstra", "dirac", "doppler", "edison", "einstein", "euclid", "euler",
            "faraday", "fermat", "fermi", "feynman", "fleming", "fourier", "franklin", "galileo", "galois", "gauss",
            "germain", "goodall", "gosling", "hamilton", "hawking", "heisenberg", "hertz", "hilbert", "hipparchus",
            "hodgkin", "hooke", "hopper", "hubble", "huygens", "hypatia", "jackson", "jemison", "johnson", "joule",
            "kelvin", "kepler", "khwarizmi", "knuth", "kovalevskaya", "lamarr", "laplace", "lavoisier", "leibniz",
            "lovelace", "margulis", "maxwell", "meitner", "mendel", "mendeleev", "mirzakhani", "morse", "newton",
            "nightingale", "noether", "ohm", "pascal", "pasteur", "pauli", "planck", "poincare", "ramanujan",
            "riemann", "ritchie", "rutherford", "sagan", "shannon", "somerville", "tesla", "thompson", "turing",
            "volta", "watt", "wiles", "wu", "yalow");

    private final RandomGenerator random;

    NameGenerator() {
        this(ThreadLocalRandom.current());
    }

    NameGenerator(RandomGenerator random) {
        this.random = random;
    }

    String next(int retry) {
        String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                + SURNAMES.get(random.nextInt(SURNAMES.size()));
        if (retry > 0) {
            name += random.nextInt(10);
        }
        return name;
    }
}
