import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The suite shares two cores with the integration tests in CI: give rendering
// time instead of failing on the default 1 s / 5 s budgets.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
