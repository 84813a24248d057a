package keel.itest.e2e;

/** The image workflow on overlay2 (the default where the kernel supports it). */
class OverlayImagesTest extends ImagesWithDockerCli {
    @Override
    String driver() {
        return "overlay2";
    }
}
