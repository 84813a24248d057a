package keel.network.bridge.internal.proxy;

/**
 * Every proxy test again with connections moving through kernel pipes. The build opens sun.nio.ch to the tests as
 * bin/keeld does for the daemon, so splice(2) must be usable here: if it is not, the first test says so.
 */
class SplicedProxyLoopTest extends ProxyLoopTest {

    @Override
    boolean splice() {
        return true;
    }
}
