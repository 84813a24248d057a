package keel.itest.e2e;

/** The image workflow on vfs. */
class VfsImagesTest extends ImagesWithDockerCli {
    @Override
    String driver() {
        return "vfs";
    }
}
